//! What int8 could buy the sentiment encoder's linear layers on this CPU, through the
//! kernels libtorch 2.4 exposes to tch (BENCHMARKS.md, "Sentiment: what int8 would buy"):
//!
//!     cargo run --release -p sentiment --example int8_linear        # T=1: one thread
//!
//! For each linear shape of all-MiniLM-L6-v2 at 32 answers of 13 word pieces (416 rows):
//! f32 `linear`; `_int_mm` (int8 × int8 → int32: the GEMM alone, and with the per-row
//! activation quantisation and the dequantisation around it as tensor ops); and the legacy
//! `fbgemm_linear_int8_weight_fp32_activation` (per-tensor weights and activations,
//! quantised inside the kernel). Weights are quantised once, outside the timing.

use std::time::Instant;
use tch::{Device, Kind, Scalar, Tensor};

const REPS: usize = 200;

fn time(name: &str, f: impl Fn() -> Tensor) -> (Tensor, f64) {
    let mut out = f();
    let t = Instant::now();
    for _ in 0..REPS {
        out = f();
    }
    let us = t.elapsed().as_secs_f64() * 1e6 / REPS as f64;
    println!("{name:40} {us:8.1} µs");
    (out, us)
}

/// Largest error relative to the largest output.
fn error(out: &Tensor, reference: &Tensor) -> f64 {
    let scale = reference.abs().max().double_value(&[]);
    (out - reference).abs().max().double_value(&[]) / scale
}

fn main() {
    let threads: i32 = std::env::var("T")
        .ok()
        .and_then(|t| t.parse().ok())
        .unwrap_or(2);
    tch::set_num_threads(threads);
    tch::manual_seed(7);
    let m = 416;
    let f = (Kind::Float, Device::Cpu);
    println!("{threads} thread(s), {m} rows");
    for (k, n) in [(384i64, 384i64), (384, 1152), (384, 1536), (1536, 384)] {
        println!("== {k} -> {n}");
        let a = Tensor::randn([m, k], f);
        let w = Tensor::randn([n, k], f) * 0.05;
        let b = Tensor::randn([n], f) * 0.1;
        let (reference, f32_us) = time("f32 linear", || a.linear(&w, Some(&b)));

        // Per-channel symmetric weights, per-row symmetric activations.
        let ws = w.abs().amax([1], true).clamp_min(1e-8) / 127.0; // [n, 1]
        let wqt = (&w / &ws)
            .round()
            .clamp(-127, 127)
            .to_kind(Kind::Int8)
            .tr()
            .contiguous(); // [k, n]
        let ws_row = ws.view([1, n]);
        let quant = |x: &Tensor| {
            let s = x.abs().amax([1], true).clamp_min(1e-8) / 127.0; // [m, 1]
            ((x / &s).round().to_kind(Kind::Int8), s)
        };
        let (aq, _) = quant(&a);
        let (acc, mm_us) = time("_int_mm, the GEMM alone", || aq.internal_int_mm(&wqt));
        let exact = aq.to_kind(Kind::Float).matmul(&wqt.to_kind(Kind::Float));
        println!(
            "   equal to an f32 product of the same int8 values: {}",
            acc.to_kind(Kind::Float).equal(&exact)
        );
        let (out, full_us) = time("_int_mm, quantise + GEMM + dequantise", || {
            let (aq, s) = quant(&a);
            aq.internal_int_mm(&wqt).to_kind(Kind::Float) * &s * &ws_row + &b
        });
        println!(
            "   max error / max |output|: {:.4}",
            error(&out, &reference)
        );

        // Legacy fbgemm: per-tensor affine weights, as fbgemm_linear_quantize_weight makes.
        let (lo, hi) = (
            w.min().double_value(&[]).min(0.0),
            w.max().double_value(&[]).max(0.0),
        );
        let scale = (hi - lo) / 255.0;
        let zp = (-128.0 - lo / scale).round().clamp(-128.0, 127.0) as i64;
        let q = (&w / scale)
            .round()
            .g_add_scalar(zp)
            .clamp(-128, 127)
            .to_kind(Kind::Int8);
        let col_offsets =
            (q.to_kind(Kind::Int).sum_dim_intlist(1, false, Kind::Int) - zp * k).to_kind(Kind::Int);
        let packed = q.fbgemm_pack_quantized_matrix();
        let (out, fb_us) = time("fbgemm int8 weight, f32 activation", || {
            a.fbgemm_linear_int8_weight_fp32_activation(
                &q,
                &packed,
                &col_offsets,
                Scalar::float(scale),
                Scalar::int(zp),
                &b,
            )
        });
        println!(
            "   max error / max |output|: {:.4}",
            error(&out, &reference)
        );
        println!(
            "   speed-up over f32: GEMM alone {:.2}x, _int_mm whole {:.2}x, fbgemm {:.2}x",
            f32_us / mm_us,
            f32_us / full_us,
            f32_us / fb_us
        );
    }
}
