# diffusiongemma-26b-a4b-nvidia-h200-sxm-fp8-overhead-3.86ms.gp: regenerate diffusiongemma-26b-a4b-nvidia-h200-sxm-fp8-overhead-3.86ms.png and diffusiongemma-26b-a4b-nvidia-h200-sxm-fp8-overhead-3.86ms.svg with `gnuplot diffusiongemma-26b-a4b-nvidia-h200-sxm-fp8-overhead-3.86ms.gp` in this folder.
# Data: diffusiongemma-26b-a4b-nvidia-h200-sxm-fp8-overhead-3.86ms.dat. Written by `dlab plot` (DiffusionLab).
set encoding utf8
set datafile separator "\t"
set terminal pngcairo size 1400,620 font "DejaVu Sans,11" noenhanced
set output "diffusiongemma-26b-a4b-nvidia-h200-sxm-fp8-overhead-3.86ms.png"
set multiplot layout 1,2 title "DiffusionGemma 26B-A4B on NVIDIA H200 SXM, fp8, context 1024, 3.86 ms per pass (roofline projection)" font ",13"
set logscale x 2
set format x "%g"
set logscale y 10
set grid
set xlabel "concurrent users"
set key bottom left box opaque
set arrow 1 from 35, graph 0 to 35, graph 1 nohead dt 2 lw 1.5 lc rgb "#555555"
set label 1 "AR+MTP overtakes: 35 users" at 35, graph 0.96 right offset -0.5,0 font ",10"
set ylabel "tokens/s per user"
plot "diffusiongemma-26b-a4b-nvidia-h200-sxm-fp8-overhead-3.86ms.dat" index 0 using 1:2 with lines lw 2.5 lc rgb "#0072B2" title "Gemma 4 AR", \
     "diffusiongemma-26b-a4b-nvidia-h200-sxm-fp8-overhead-3.86ms.dat" index 1 using 1:2 with lines lw 2.5 lc rgb "#D55E00" title "Gemma 4 AR+MTP (k=3)", \
     "diffusiongemma-26b-a4b-nvidia-h200-sxm-fp8-overhead-3.86ms.dat" index 2 using 1:2 with lines lw 2.5 lc rgb "#009E73" title "DiffusionGemma (canvas 256)"
set ylabel "tokens/s in total"
plot "diffusiongemma-26b-a4b-nvidia-h200-sxm-fp8-overhead-3.86ms.dat" index 0 using 1:3 with lines lw 2.5 lc rgb "#0072B2" title "Gemma 4 AR", \
     "diffusiongemma-26b-a4b-nvidia-h200-sxm-fp8-overhead-3.86ms.dat" index 1 using 1:3 with lines lw 2.5 lc rgb "#D55E00" title "Gemma 4 AR+MTP (k=3)", \
     "diffusiongemma-26b-a4b-nvidia-h200-sxm-fp8-overhead-3.86ms.dat" index 2 using 1:3 with lines lw 2.5 lc rgb "#009E73" title "DiffusionGemma (canvas 256)"
unset multiplot
unset output
reset
set datafile separator "\t"
set terminal svg size 1400,620 font "DejaVu Sans,11" noenhanced background "white"
set output "diffusiongemma-26b-a4b-nvidia-h200-sxm-fp8-overhead-3.86ms.svg"
set multiplot layout 1,2 title "DiffusionGemma 26B-A4B on NVIDIA H200 SXM, fp8, context 1024, 3.86 ms per pass (roofline projection)" font ",13"
set logscale x 2
set format x "%g"
set logscale y 10
set grid
set xlabel "concurrent users"
set key bottom left box opaque
set arrow 1 from 35, graph 0 to 35, graph 1 nohead dt 2 lw 1.5 lc rgb "#555555"
set label 1 "AR+MTP overtakes: 35 users" at 35, graph 0.96 right offset -0.5,0 font ",10"
set ylabel "tokens/s per user"
plot "diffusiongemma-26b-a4b-nvidia-h200-sxm-fp8-overhead-3.86ms.dat" index 0 using 1:2 with lines lw 2.5 lc rgb "#0072B2" title "Gemma 4 AR", \
     "diffusiongemma-26b-a4b-nvidia-h200-sxm-fp8-overhead-3.86ms.dat" index 1 using 1:2 with lines lw 2.5 lc rgb "#D55E00" title "Gemma 4 AR+MTP (k=3)", \
     "diffusiongemma-26b-a4b-nvidia-h200-sxm-fp8-overhead-3.86ms.dat" index 2 using 1:2 with lines lw 2.5 lc rgb "#009E73" title "DiffusionGemma (canvas 256)"
set ylabel "tokens/s in total"
plot "diffusiongemma-26b-a4b-nvidia-h200-sxm-fp8-overhead-3.86ms.dat" index 0 using 1:3 with lines lw 2.5 lc rgb "#0072B2" title "Gemma 4 AR", \
     "diffusiongemma-26b-a4b-nvidia-h200-sxm-fp8-overhead-3.86ms.dat" index 1 using 1:3 with lines lw 2.5 lc rgb "#D55E00" title "Gemma 4 AR+MTP (k=3)", \
     "diffusiongemma-26b-a4b-nvidia-h200-sxm-fp8-overhead-3.86ms.dat" index 2 using 1:3 with lines lw 2.5 lc rgb "#009E73" title "DiffusionGemma (canvas 256)"
unset multiplot
unset output
