# Drawn by `selfplay scale`; redraw with: gnuplot schedulers.gp
if (!exists("output_file")) output_file = "schedulers.png"
set terminal pngcairo size 1200,540 font "sans,10" noenhanced
set output output_file
set title "Schedulers: go-fish, random policy, 61 features, 60000 games; median of 5 runs, bars min-max\nAMD EPYC, 2 logical / 2 physical cores; load 1.49 before the run; g++ 12.2.0 Release"
set grid
set key top left box opaque
set bars small
unset title
set multiplot layout 1,2 title "Schedulers: go-fish, random policy, 61 features, 60000 games; median of 5 runs, bars min-max\nAMD EPYC, 2 logical / 2 physical cores; load 1.49 before the run; g++ 12.2.0 Release"
set xlabel "threads"
set xtics (1, 2)
set xrange [0.5:2.5]
$s0time << EOD
1 3.365 2.94967 3.49618
2 1.90762 1.57861 1.99158
EOD
$s0imbalance << EOD
1 1 1 1
2 1.0005 1.00048 1.00113
EOD
$s1time << EOD
1 3.16308 3.00124 3.41574
2 1.70827 1.6451 2.04907
EOD
$s1imbalance << EOD
1 1 1 1
2 1.05391 1.02494 1.06444
EOD
$s2time << EOD
1 3.74555 3.31979 4.05716
2 1.90826 1.86534 2.05163
EOD
$s2imbalance << EOD
1 1 1 1
2 1.00051 1.00005 1.00178
EOD
set title "run time"
set ylabel "seconds"
set yrange [0:*]
plot $s0time using 1:2:3:4 with yerrorlines pt 7 lw 2 title "work-stealing", \
     $s1time using 1:2:3:4 with yerrorlines pt 9 lw 2 title "static-partition", \
     $s2time using 1:2:3:4 with yerrorlines pt 11 lw 2 title "central-queue"
set title "load imbalance (max / mean busy time)"
set ylabel "imbalance"
set yrange [0.95:*]
plot $s0imbalance using 1:2:3:4 with yerrorlines pt 7 lw 2 title "work-stealing", \
     $s1imbalance using 1:2:3:4 with yerrorlines pt 9 lw 2 title "static-partition", \
     $s2imbalance using 1:2:3:4 with yerrorlines pt 11 lw 2 title "central-queue"
unset multiplot
