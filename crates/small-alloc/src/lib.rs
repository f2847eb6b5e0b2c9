//! The wasm build's global allocator: talc behind a cache of free lists for
//! small blocks.
//!
//! The engine allocates and frees the same few small objects at every event
//! (a message's content, a boxed request or reply, a pull batch), so most
//! allocations are a size the program has just freed. Blocks of up to
//! [`MAX_CACHED`] bytes are rounded up to a multiple of [`CLASS`] bytes; a
//! freed block goes onto its size's free list and the next request of that
//! size takes it back in a few instructions, without entering talc. Larger
//! blocks, and blocks that need more than [`CLASS`]-byte alignment, go to
//! talc directly.
//!
//! Cached blocks are never handed back to talc, so the memory they hold is
//! the peak that each size class ever reached; the engine's working set is
//! steady (its retention is bounded, see ARCHITECTURE.md), and a wasm
//! memory never shrinks anyway.
//!
//! wasm32 without the atomics feature runs one thread, which is what makes
//! the unsynchronised free lists sound.

#![cfg(target_arch = "wasm32")]

#[cfg(target_feature = "atomics")]
compile_error!("small-alloc's free lists are unsynchronised: it needs a single-threaded wasm32 build");

use core::alloc::{GlobalAlloc, Layout};
use core::cell::UnsafeCell;
use core::ptr;

/// Size classes are multiples of this many bytes (and blocks are aligned to it).
pub const CLASS: usize = 16;
/// The largest block the cache keeps.
pub const MAX_CACHED: usize = 512;
const CLASSES: usize = MAX_CACHED / CLASS;

/// talc with small-block free lists in front of it.
pub struct CachedTalc {
    talc: talc::wasm::WasmDynamicTalc,
    /// The head of each size class's free list; a free block's first word
    /// points to the next free block of its class.
    free: UnsafeCell<[*mut u8; CLASSES]>,
}

// SAFETY: the wasm32 target this is compiled for has a single thread.
unsafe impl Sync for CachedTalc {}

impl CachedTalc {
    pub const fn new() -> CachedTalc {
        CachedTalc { talc: talc::wasm::new_wasm_dynamic_allocator(), free: UnsafeCell::new([ptr::null_mut(); CLASSES]) }
    }
}

impl Default for CachedTalc {
    fn default() -> Self {
        Self::new()
    }
}

/// The size class of a layout the cache serves, or `None` for talc's.
#[inline]
fn class_of(layout: Layout) -> Option<usize> {
    let size = layout.size();
    if size == 0 || size > MAX_CACHED || layout.align() > CLASS {
        return None;
    }
    Some((size - 1) / CLASS)
}

/// The layout in which talc holds every block of class `c`.
#[inline]
fn class_layout(c: usize) -> Layout {
    // (c + 1) * CLASS ≤ MAX_CACHED and CLASS is a power of two: always valid.
    unsafe { Layout::from_size_align_unchecked((c + 1) * CLASS, CLASS) }
}

unsafe impl GlobalAlloc for CachedTalc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        match class_of(layout) {
            Some(c) => {
                let free = &mut *self.free.get();
                let head = free[c];
                if head.is_null() {
                    self.talc.alloc(class_layout(c))
                } else {
                    free[c] = *(head as *mut *mut u8);
                    head
                }
            }
            None => self.talc.alloc(layout),
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        match class_of(layout) {
            Some(c) => {
                let free = &mut *self.free.get();
                *(ptr as *mut *mut u8) = free[c];
                free[c] = ptr;
            }
            None => self.talc.dealloc(ptr, layout),
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let new_layout = Layout::from_size_align_unchecked(new_size, layout.align());
        match (class_of(layout), class_of(new_layout)) {
            (None, None) => self.talc.realloc(ptr, layout, new_size),
            (Some(old), Some(new)) if old == new => ptr,
            _ => {
                let fresh = self.alloc(new_layout);
                if !fresh.is_null() {
                    ptr::copy_nonoverlapping(ptr, fresh, layout.size().min(new_size));
                    self.dealloc(ptr, layout);
                }
                fresh
            }
        }
    }
}
