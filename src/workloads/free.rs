//! The nodes' free CPU, memory and pod slots in a max-tree, so first-fit
//! finds the first node that may hold a pod without looking at every
//! full one (a packing of thousands of nodes and workloads).

/// Free (millicores, bytes, pod slots) per node; a node that takes no pod
/// (gone, or not yet there) holds -1s.
#[derive(Debug, Clone, Default)]
pub struct FreeTree {
    /// Leaves, a power of two.
    cap: usize,
    /// Heap order: node 1 the root, leaves from `cap`.
    t: Vec<[i64; 3]>,
}

const NONE: [i64; 3] = [-1, -1, -1];

fn covers(have: &[i64; 3], need: &[i64; 3]) -> bool {
    have[0] >= need[0] && have[1] >= need[1] && have[2] >= need[2]
}

impl FreeTree {
    /// Sets node `i`'s free resources.
    pub fn set(&mut self, i: usize, v: [i64; 3]) {
        if i >= self.cap {
            self.grow(i + 1);
        }
        let mut at = self.cap + i;
        self.t[at] = v;
        while at > 1 {
            at /= 2;
            let (l, r) = (self.t[2 * at], self.t[2 * at + 1]);
            self.t[at] = [l[0].max(r[0]), l[1].max(r[1]), l[2].max(r[2])];
        }
    }

    fn grow(&mut self, want: usize) {
        let cap = want.next_power_of_two().max(16);
        let mut t = vec![NONE; 2 * cap];
        if self.cap > 0 {
            t[cap..cap + self.cap].copy_from_slice(&self.t[self.cap..2 * self.cap]);
        }
        for at in (1..cap).rev() {
            let (l, r) = (t[2 * at], t[2 * at + 1]);
            t[at] = [l[0].max(r[0]), l[1].max(r[1]), l[2].max(r[2])];
        }
        self.cap = cap;
        self.t = t;
    }

    /// The first node from `start` on whose free resources cover `need`
    /// (the maxima only prune: a node found has all three).
    pub fn first_from(&self, start: usize, need: &[i64; 3]) -> Option<usize> {
        if self.cap == 0 || start >= self.cap {
            return None;
        }
        self.find(1, 0, self.cap, start, need)
    }

    fn find(
        &self,
        at: usize,
        lo: usize,
        hi: usize,
        start: usize,
        need: &[i64; 3],
    ) -> Option<usize> {
        if hi <= start || !covers(&self.t[at], need) {
            return None;
        }
        if hi - lo == 1 {
            return Some(lo);
        }
        let mid = (lo + hi) / 2;
        self.find(2 * at, lo, mid, start, need)
            .or_else(|| self.find(2 * at + 1, mid, hi, start, need))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_first_node_that_covers() {
        let mut t = FreeTree::default();
        for (i, v) in [[100, 100, 1], [500, 50, 3], [500, 500, 0], [600, 600, 2]]
            .iter()
            .enumerate()
        {
            t.set(i, *v);
        }
        assert_eq!(t.first_from(0, &[200, 100, 1]), Some(3));
        assert_eq!(t.first_from(0, &[50, 50, 1]), Some(0));
        assert_eq!(t.first_from(1, &[50, 50, 1]), Some(1));
        t.set(3, NONE);
        assert_eq!(t.first_from(0, &[200, 100, 1]), None);
        for i in 4..40 {
            t.set(i, [i as i64, i as i64, 1]);
        }
        assert_eq!(t.first_from(4, &[30, 30, 1]), Some(30));
        assert_eq!(t.first_from(1, &[100, 50, 1]), Some(1));
        assert_eq!(t.first_from(2, &[100, 50, 1]), None);
    }
}
