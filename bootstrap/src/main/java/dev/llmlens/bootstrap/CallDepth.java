package dev.llmlens.bootstrap;

/**
 * Counts nested entries into hooked methods on one thread, so a call that passes through two hooked
 * layers of one SDK (Impl then WithRawResponseImpl) is recorded by the outermost one only.
 */
public final class CallDepth {

    private final ThreadLocal<int[]> depth = ThreadLocal.withInitial(() -> new int[1]);

    /** @return the depth before entering: 0 means this is the outermost call. */
    public int enter() {
        return depth.get()[0]++;
    }

    public void exit() {
        int[] d = depth.get();
        if (d[0] > 0) {
            d[0]--;
        }
    }
}
