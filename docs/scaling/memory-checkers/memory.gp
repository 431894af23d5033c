# Drawn by `selfplay scale`; redraw with: gnuplot memory.gp
if (!exists("output_file")) output_file = "memory.png"
set terminal pngcairo size 860,560 font "sans,10" noenhanced
set output output_file
set title "Peak RSS: checkers, random policy, 20 features, 2 threads, one process per point\nAMD EPYC, 2 logical / 2 physical cores; load 2.35 before the run; g++ 12.2.0 Release"
set grid
set key top left box opaque
set bars small
set logscale x 10
set xlabel "games"
set ylabel "peak RSS (MiB)"
set yrange [0:*]
$dropped << EOD
10000 8.41406 8.41406 8.41406
100000 8.47656 8.47656 8.47656
1e+06 8.49219 8.49219 8.49219
EOD
$kept << EOD
10000 10.0234 10.0234 10.0234
100000 23.6953 23.6953 23.6953
1e+06 160.852 160.852 160.852
EOD
plot $dropped using 1:2 with linespoints pt 7 lw 2 title "summaries-dropped", \
     $kept using 1:2 with linespoints pt 7 lw 2 title "summaries-kept"
