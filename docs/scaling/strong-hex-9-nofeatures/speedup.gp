# Drawn by `selfplay scale`; redraw with: gnuplot speedup.gp
if (!exists("output_file")) output_file = "speedup.png"
set terminal pngcairo size 860,560 font "sans,10" noenhanced
set output output_file
set title "Speedup: hex-9, random policy, 0 features; median of 5 runs, bars min-max\nAMD EPYC, 2 logical / 2 physical cores; load 1.53 before the run; g++ 12.2.0 Release"
set grid
set key top left box opaque
set bars small
set xlabel "threads"
set xtics (1, 2)
set xrange [0.5:2.5]
set ylabel "speedup over 1 thread"
set yrange [0:*]
$strong << EOD
1 1 0.957781 1.09561
2 2.09635 1.9517 2.13524
EOD
plot x / 1.0 with lines dt 2 lc rgb "gray40" title "ideal", \
     $strong using 1:2:3:4 with yerrorlines pt 7 lw 2 title "strong (500000 games)"
