//! The wasm build's global allocator (crates/small-alloc: talc behind
//! free lists for small blocks), exercised through ordinary collections in
//! headless Chromium. Native `cargo test` compiles this file to nothing.
#![cfg(target_arch = "wasm32")]

// Linked for its global allocator (src/lib.rs).
extern crate rocketmq_sim;

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A freed small block is what the next request of its size class gets back.
#[wasm_bindgen_test]
fn a_freed_small_block_is_reused_for_the_same_class() {
    let a = Box::new([7u8; 40]);
    let addr = a.as_ptr() as usize;
    drop(a);
    // 33..=48 bytes share a class with the 40-byte block just freed.
    let b = Box::new([9u8; 48]);
    assert_eq!(b.as_ptr() as usize, addr);
    assert!(b.iter().all(|&x| x == 9));
}

/// Blocks stay apart and keep their contents while many sizes interleave.
#[wasm_bindgen_test]
fn interleaved_sizes_keep_their_contents() {
    // Block contents: word i is i ^ key, key distinct per block.
    let fill = |len: u32, key: u32| (0..len).map(|i| i ^ key).collect::<Vec<u32>>();
    let mut blocks: Vec<(u32, Vec<u32>)> = Vec::new();
    let mut key = 0u32;
    for _ in 0..4 {
        for len in 1..200u32 {
            key = key.wrapping_add(2_654_435_761);
            blocks.push((key, fill(len, key)));
        }
        // Free every other block, so the next round reuses their memory.
        let mut i = 0;
        blocks.retain(|_| {
            i += 1;
            i % 2 == 0
        });
    }
    for (key, b) in &blocks {
        assert!(
            b.iter().enumerate().all(|(i, &x)| x == (i as u32) ^ key),
            "a block of {} words was overwritten",
            b.len()
        );
    }
}

/// Growing a vector moves it from class to class, then to talc, intact; and
/// shrinking brings it back.
#[wasm_bindgen_test]
fn realloc_across_classes_and_into_talc_keeps_the_bytes() {
    let mut v: Vec<u8> = Vec::with_capacity(1);
    for i in 0..5_000u32 {
        v.push((i % 251) as u8);
    }
    assert!(v.iter().enumerate().all(|(i, &x)| x == (i as u32 % 251) as u8));
    v.truncate(10);
    v.shrink_to_fit();
    assert_eq!(v, (0..10u8).collect::<Vec<_>>());
    // Over-aligned blocks bypass the cache and still honour their alignment.
    #[repr(align(64))]
    struct Wide([u8; 64]);
    let w = Box::new(Wide([3; 64]));
    assert_eq!(&*w as *const Wide as usize % 64, 0);
    assert!(w.0.iter().all(|&x| x == 3));
}
