# Drawn by `selfplay scale`; redraw with: gnuplot schedulers.gp
if (!exists("output_file")) output_file = "schedulers.png"
set terminal pngcairo size 1200,540 font "sans,10" noenhanced
set output output_file
set title "Schedulers: tic-tac-toe, random policy, 0 features, 3000000 games; median of 5 runs, bars min-max\nAMD EPYC, 2 logical / 2 physical cores; load 1.37 before the run; g++ 12.2.0 Release"
set grid
set key top left box opaque
set bars small
unset title
set multiplot layout 1,2 title "Schedulers: tic-tac-toe, random policy, 0 features, 3000000 games; median of 5 runs, bars min-max\nAMD EPYC, 2 logical / 2 physical cores; load 1.37 before the run; g++ 12.2.0 Release"
set xlabel "threads"
set xtics (1, 2)
set xrange [0.5:2.5]
$s0time << EOD
1 1.40257 1.17759 1.62923
2 0.810207 0.750744 0.868956
EOD
$s0imbalance << EOD
1 1 1 1
2 1.00174 1.00114 1.01156
EOD
$s1time << EOD
1 1.53646 1.09697 1.6927
2 0.828658 0.782892 0.921185
EOD
$s1imbalance << EOD
1 1 1 1
2 1.00664 1.00486 1.15528
EOD
$s2time << EOD
1 1.55519 1.18664 1.78492
2 1.21599 0.907433 1.59006
EOD
$s2imbalance << EOD
1 1 1 1
2 1.00663 1.00153 1.10514
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
