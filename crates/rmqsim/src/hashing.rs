//! The hash functions RocketMQ's own code depends on, reproduced bit for bit.
//!
//! - Java `String.hashCode` decides a message's tag code (broker-side tag
//!   filtering) and `SelectMessageQueueByHash` in the Java client.
//! - libstdc++'s `std::hash<std::string>` (a MurmurHash64A variant with seed
//!   `0xc70f6907`) decides the queue of the Python client's
//!   `send_orderly_with_sharding_key`.
//! - FNV-1a 64 fingerprints a trace.

/// Java's `String.hashCode()`: `s[0]*31^(n-1) + ... + s[n-1]` over UTF-16 units, wrapping i32.
pub fn java_string_hash(s: &str) -> i32 {
    s.encode_utf16().fold(0i32, |h, unit| h.wrapping_mul(31).wrapping_add(unit as i32))
}

/// libstdc++ `std::hash<std::string>` on 64-bit Linux (`_Hash_bytes` with seed 0xc70f6907).
pub fn std_hash(s: &str) -> u64 {
    const MUL: u64 = 0xc6a4_a793_5bd1_e995;
    const SEED: u64 = 0xc70f_6907;
    fn shift_mix(v: u64) -> u64 {
        v ^ (v >> 47)
    }
    let bytes = s.as_bytes();
    let len = bytes.len();
    let mut h = SEED ^ (len as u64).wrapping_mul(MUL);
    let aligned = len & !7;
    for chunk in bytes[..aligned].chunks_exact(8) {
        let mut w = [0u8; 8];
        w.copy_from_slice(chunk);
        let data = shift_mix(u64::from_le_bytes(w).wrapping_mul(MUL)).wrapping_mul(MUL);
        h ^= data;
        h = h.wrapping_mul(MUL);
    }
    if len & 7 != 0 {
        let mut tail = 0u64;
        for (i, b) in bytes[aligned..].iter().enumerate() {
            tail |= (*b as u64) << (8 * i);
        }
        h ^= tail;
        h = h.wrapping_mul(MUL);
    }
    h = shift_mix(h).wrapping_mul(MUL);
    shift_mix(h)
}

/// Streaming FNV-1a, 64 bits.
#[derive(Clone, Copy, Debug)]
pub struct Fnv64(u64);

impl Default for Fnv64 {
    fn default() -> Self {
        Fnv64(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv64 {
    pub fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= *b as u64;
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    pub fn finish(&self) -> u64 {
        self.0
    }

    pub fn hex(&self) -> String {
        format!("{:016x}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn java_hash_matches_known_values() {
        assert_eq!(java_string_hash(""), 0);
        assert_eq!(java_string_hash("a"), 97);
        assert_eq!(java_string_hash("TagA"), 2_598_919);
        assert_eq!(java_string_hash("hello"), 99_162_322);
        // "测" is one UTF-16 unit (0x6D4B).
        assert_eq!(java_string_hash("测"), 0x6D4B);
    }

    #[test]
    fn std_hash_matches_libstdcxx() {
        // Values printed by g++ 12 (libstdc++) on x86_64 Linux for std::hash<std::string>.
        assert_eq!(std_hash(""), 6_142_509_188_972_423_790);
        assert_eq!(std_hash("a"), 4_993_892_634_952_068_459);
        assert_eq!(std_hash("order-1"), 1_888_478_096_483_860_501);
        assert_eq!(std_hash("order-2"), 6_735_953_993_718_684_008);
        assert_eq!(std_hash("xin"), 5_270_959_348_002_513_073);
        assert_eq!(std_hash("abcdefgh"), 8_664_279_048_047_335_611);
        assert_eq!(std_hash("abcdefghi"), 13_036_955_925_923_793_583);
        assert_eq!(std_hash("测试用内容"), 14_097_534_008_882_303_213);
    }
}
