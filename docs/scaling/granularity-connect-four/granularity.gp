# Drawn by `selfplay scale`; redraw with: gnuplot granularity.gp
if (!exists("output_file")) output_file = "granularity.png"
set terminal pngcairo size 860,560 font "sans,10" noenhanced
set output output_file
set title "Granularity: connect-four, random policy, 0 features + work knob; efficiency at 2 threads, median of 5 runs\nAMD EPYC, 2 logical / 2 physical cores; load 1.47 before the run; g++ 12.2.0 Release"
set grid
set key top left box opaque
set bars small
set logscale x 10
set xlabel "cost of one game on one thread (us)"
set ylabel "efficiency at 2 threads"
set yrange [0:1.2]
$adaptive << EOD
1.08068 0.962021 0.851495 0.970869
1.8408 0.989628 0.973856 1.02262
10.4762 1.00809 0.975877 1.02223
96.234 0.995975 0.990584 1.03353
926.204 0.979791 0.952589 0.985758
9664.22 0.923767 0.909573 0.93682
EOD
$pergame << EOD
1.08068 0.803487 0.709183 0.873091
1.8408 0.907947 0.875293 0.989356
10.4762 1.00428 0.957262 1.03595
96.234 0.99927 0.983542 1.01867
926.204 0.965336 0.958778 0.976442
9664.22 0.953728 0.946805 0.961782
EOD
plot 1 with lines dt 2 lc rgb "gray40" title "ideal", \
     $adaptive using 1:2:3:4 with yerrorlines pt 7 lw 2 title "adaptive-batches", \
     $pergame using 1:2:3:4 with yerrorlines pt 7 lw 2 title "one-game-per-task"
