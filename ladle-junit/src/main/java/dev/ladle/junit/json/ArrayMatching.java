package dev.ladle.junit.json;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Pairs expected array elements with actual ones, one to one, when order does not matter: a maximum
 * bipartite matching. A greedy pass in order pairs most arrays at once (an array in the same order costs
 * one comparison an element); only an expected element left over searches for an augmenting path
 * (breadth first, without recursion), so an actual element that fits two expected ones is moved to
 * the other when that frees it for one that fits nothing else.
 */
final class ArrayMatching {
    /** Whether expected element {@code e} fits actual element {@code a}. */
    @FunctionalInterface
    interface Fits {
        boolean test(int e, int a);
    }

    private final int actualCount;
    private final Fits fits;
    private final int[] partnerOfExpected;
    private final int[] partnerOfActual;
    private final Map<Long, Boolean> known = new HashMap<>();

    ArrayMatching(int expectedCount, int actualCount, Fits fits) {
        this.actualCount = actualCount;
        this.fits = fits;
        this.partnerOfExpected = new int[expectedCount];
        this.partnerOfActual = new int[actualCount];
        Arrays.fill(partnerOfExpected, -1);
        Arrays.fill(partnerOfActual, -1);
    }

    /** Returns, for each expected element, the actual element it is paired with, or -1. */
    int[] match() {
        for (int e = 0; e < partnerOfExpected.length; e++) {
            for (int a = 0; a < actualCount; a++) {
                if (partnerOfActual[a] < 0 && fits.test(e, a)) {
                    pair(e, a);
                    break;
                }
            }
        }
        for (int e = 0; e < partnerOfExpected.length; e++) {
            if (partnerOfExpected[e] < 0) {
                augment(e);
            }
        }
        return partnerOfExpected.clone();
    }

    /** The actual elements left without a partner, in order. */
    List<Integer> unmatchedActual() {
        List<Integer> unmatched = new ArrayList<>();
        for (int a = 0; a < actualCount; a++) {
            if (partnerOfActual[a] < 0) {
                unmatched.add(a);
            }
        }
        return unmatched;
    }

    /** Finds a path from {@code start} through paired elements to a free actual one, and shifts the pairs along it. */
    private void augment(int start) {
        int[] reachedFrom = new int[actualCount];
        boolean[] seen = new boolean[actualCount];
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        queue.add(start);
        while (!queue.isEmpty()) {
            int e = queue.poll();
            for (int a = 0; a < actualCount; a++) {
                if (seen[a] || !fitsRemembered(e, a)) {
                    continue;
                }
                seen[a] = true;
                reachedFrom[a] = e;
                if (partnerOfActual[a] < 0) {
                    shift(start, a, reachedFrom);
                    return;
                }
                queue.add(partnerOfActual[a]);
            }
        }
    }

    private void shift(int start, int freeActual, int[] reachedFrom) {
        int a = freeActual;
        while (true) {
            int e = reachedFrom[a];
            int previous = partnerOfExpected[e];
            pair(e, a);
            if (e == start) {
                return;
            }
            a = previous;
        }
    }

    private void pair(int e, int a) {
        partnerOfExpected[e] = a;
        partnerOfActual[a] = e;
    }

    /** Comparisons can be deep, and searches ask the same pairs again: remember the answers. */
    private boolean fitsRemembered(int e, int a) {
        return known.computeIfAbsent((long) e * actualCount + a, key -> fits.test(e, a));
    }
}
