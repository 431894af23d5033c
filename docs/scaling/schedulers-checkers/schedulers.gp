# Drawn by `selfplay scale`; redraw with: gnuplot schedulers.gp
if (!exists("output_file")) output_file = "schedulers.png"
set terminal pngcairo size 1200,540 font "sans,10" noenhanced
set output output_file
set title "Schedulers: checkers, random policy, 20 features, 60000 games; median of 5 runs, bars min-max\nAMD EPYC, 2 logical / 2 physical cores; load 1.37 before the run; g++ 12.2.0 Release"
set grid
set key top left box opaque
set bars small
unset title
set multiplot layout 1,2 title "Schedulers: checkers, random policy, 20 features, 60000 games; median of 5 runs, bars min-max\nAMD EPYC, 2 logical / 2 physical cores; load 1.37 before the run; g++ 12.2.0 Release"
set xlabel "threads"
set xtics (1, 2)
set xrange [0.5:2.5]
$s0time << EOD
1 2.55417 2.35834 2.95925
2 1.29377 1.12446 1.46299
EOD
$s0imbalance << EOD
1 1 1 1
2 1.00054 1.00002 1.00311
EOD
$s1time << EOD
1 2.66648 2.38234 2.96503
2 1.09621 1.05565 1.4036
EOD
$s1imbalance << EOD
1 1 1 1
2 1.03623 1.01715 1.1386
EOD
$s2time << EOD
1 2.81738 2.19415 2.96274
2 1.19342 1.14023 1.52568
EOD
$s2imbalance << EOD
1 1 1 1
2 1.00075 1.0003 1.00155
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
