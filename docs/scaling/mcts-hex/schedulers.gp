# Drawn by `selfplay scale`; redraw with: gnuplot schedulers.gp
if (!exists("output_file")) output_file = "schedulers.png"
set terminal pngcairo size 1200,540 font "sans,10" noenhanced
set output output_file
set title "Schedulers: hex, mcts:15 policy, 8 features, 3000 games; median of 5 runs, bars min-max\nAMD EPYC, 2 logical / 2 physical cores; load 4.39 before the run; g++ 12.2.0 Release"
set grid
set key top left box opaque
set bars small
unset title
set multiplot layout 1,2 title "Schedulers: hex, mcts:15 policy, 8 features, 3000 games; median of 5 runs, bars min-max\nAMD EPYC, 2 logical / 2 physical cores; load 4.39 before the run; g++ 12.2.0 Release"
set xlabel "threads"
set xtics (1, 2)
set xrange [0.5:2.5]
$s0time << EOD
1 2.53171 2.48196 2.95831
2 1.3798 1.17609 1.45427
EOD
$s0imbalance << EOD
1 1 1 1
2 1.0007 1.00017 1.00115
EOD
$s1time << EOD
1 2.42975 2.36487 2.93801
2 1.40131 1.38311 1.55016
EOD
$s1imbalance << EOD
1 1 1 1
2 1.05379 1.00438 1.09754
EOD
$s2time << EOD
1 2.64716 2.30712 2.75738
2 1.40616 1.24743 1.45818
EOD
$s2imbalance << EOD
1 1 1 1
2 1.00039 1.00009 1.00142
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
