package dev.llmlens.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class LabelValueLimitTest {

    @Test
    void nullBecomesEmptyAndIsAppliedInPlace() {
        String[] values = {null, "x"};
        assertSame(values, new LabelValueLimit(2, 5).apply(values));
        assertArrayEquals(new String[] {"", "x"}, values);
    }

    @Test
    void valuesPastTheCapFoldIntoOtherWhileKnownOnesStillPass() {
        LabelValueLimit limit = new LabelValueLimit(1, 2);
        assertArrayEquals(new String[] {"a"}, limit.apply("a"));
        assertArrayEquals(new String[] {"b"}, limit.apply("b"));
        assertArrayEquals(new String[] {"other"}, limit.apply("c"));
        assertArrayEquals(new String[] {"other"}, limit.apply("d"));
        // already-seen values keep their own series after the cap is reached
        assertArrayEquals(new String[] {"a"}, limit.apply("a"));
        assertArrayEquals(new String[] {"b"}, limit.apply("b"));
        // "" is a value like any other once the cap is full
        assertArrayEquals(new String[] {"other"}, limit.apply((String) null));
    }

    @Test
    void eachLabelPositionHasItsOwnCap() {
        LabelValueLimit limit = new LabelValueLimit(2, 2);
        limit.apply("m1", "p1");
        limit.apply("m2", "p1");
        // position 0 is full, position 1 has seen one value: only position 0 folds
        assertArrayEquals(new String[] {"other", "p2"}, limit.apply("m3", "p2"));
        assertArrayEquals(new String[] {"m2", "other"}, limit.apply("m2", "p3"));
    }
}
