# Drawn by `selfplay scale`; redraw with: gnuplot schedulers.gp
if (!exists("output_file")) output_file = "schedulers.png"
set terminal pngcairo size 1200,540 font "sans,10" noenhanced
set output output_file
set title "Schedulers: hex, mcts:15 policy, 8 features, 300 games; median of 9 runs, bars min-max\nAMD EPYC, 2 logical / 2 physical cores; load 2.97 before the run; g++ 12.2.0 Release"
set grid
set key top left box opaque
set bars small
unset title
set multiplot layout 1,2 title "Schedulers: hex, mcts:15 policy, 8 features, 300 games; median of 9 runs, bars min-max\nAMD EPYC, 2 logical / 2 physical cores; load 2.97 before the run; g++ 12.2.0 Release"
set xlabel "threads"
set xtics (1, 2)
set xrange [0.5:2.5]
$s0time << EOD
1 0.26355 0.233153 0.297549
2 0.147739 0.134982 0.157086
EOD
$s0imbalance << EOD
1 1 1 1
2 1.00423 1.00218 1.00806
EOD
$s1time << EOD
1 0.289418 0.265031 0.296649
2 0.151558 0.146477 0.154582
EOD
$s1imbalance << EOD
1 1 1 1
2 1.03957 1.00844 1.14974
EOD
$s2time << EOD
1 0.288571 0.272459 0.302953
2 0.145765 0.138201 0.152233
EOD
$s2imbalance << EOD
1 1 1 1
2 1.00078 1.00012 1.01261
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
