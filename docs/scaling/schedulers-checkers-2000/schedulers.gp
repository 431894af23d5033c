# Drawn by `selfplay scale`; redraw with: gnuplot schedulers.gp
if (!exists("output_file")) output_file = "schedulers.png"
set terminal pngcairo size 1200,540 font "sans,10" noenhanced
set output output_file
set title "Schedulers: checkers, random policy, 20 features, 2000 games; median of 9 runs, bars min-max\nAMD EPYC, 2 logical / 2 physical cores; load 2.74 before the run; g++ 12.2.0 Release"
set grid
set key top left box opaque
set bars small
unset title
set multiplot layout 1,2 title "Schedulers: checkers, random policy, 20 features, 2000 games; median of 9 runs, bars min-max\nAMD EPYC, 2 logical / 2 physical cores; load 2.74 before the run; g++ 12.2.0 Release"
set xlabel "threads"
set xtics (1, 2)
set xrange [0.5:2.5]
$s0time << EOD
1 0.0978287 0.0726242 0.102782
2 0.0502702 0.0463848 0.0571716
EOD
$s0imbalance << EOD
1 1 1 1
2 1.00302 1.00111 1.0074
EOD
$s1time << EOD
1 0.0977643 0.0858877 0.101744
2 0.0534648 0.048598 0.0573667
EOD
$s1imbalance << EOD
1 1 1 1
2 1.03263 1.01426 1.06524
EOD
$s2time << EOD
1 0.0958544 0.0758469 0.104236
2 0.0505839 0.0492064 0.0517219
EOD
$s2imbalance << EOD
1 1 1 1
2 1.00254 1.00002 1.0305
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
