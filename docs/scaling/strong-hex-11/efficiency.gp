# Drawn by `selfplay scale`; redraw with: gnuplot efficiency.gp
if (!exists("output_file")) output_file = "efficiency.png"
set terminal pngcairo size 860,560 font "sans,10" noenhanced
set output output_file
set title "Parallel efficiency: hex-11, random policy, 8 features; median of 5 runs, bars min-max\nAMD EPYC, 2 logical / 2 physical cores; load 1.55 before the run; g++ 12.2.0 Release"
set grid
set key top left box opaque
set bars small
set xlabel "threads"
set xtics (1, 2)
set xrange [0.5:2.5]
set ylabel "efficiency"
set yrange [0:1.2]
$strong << EOD
1 1 0.865408 1.05988
2 0.916621 0.746493 0.974821
EOD
plot 1 with lines dt 2 lc rgb "gray40" title "ideal", \
     $strong using 1:2:3:4 with yerrorlines pt 7 lw 2 title "strong"
