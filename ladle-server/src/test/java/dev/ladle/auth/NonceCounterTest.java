package dev.ladle.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NonceCounterTest {

    @Test
    void onlyIncreasingCountsAreAccepted() {
        NonceCounter counter = new NonceCounter(10);
        assertThat(counter.advance("n", 100, 1, 0)).isTrue();
        assertThat(counter.advance("n", 100, 1, 0)).isFalse();
        assertThat(counter.advance("n", 100, 3, 0)).isTrue();
        assertThat(counter.advance("n", 100, 2, 0)).isFalse();
        assertThat(counter.advance("n", 100, 4, 0)).isTrue();
    }

    @Test
    void noncesAreCountedApart() {
        NonceCounter counter = new NonceCounter(10);
        assertThat(counter.advance("a", 100, 1, 0)).isTrue();
        assertThat(counter.advance("b", 100, 1, 0)).isTrue();
    }

    @Test
    void memoryIsBoundedAndADroppedNonceNeverComesBack() {
        NonceCounter counter = new NonceCounter(3);
        for (int i = 1; i <= 5; i++) {
            assertThat(counter.advance("n" + i, 100 + i, 1, 0)).isTrue();
        }
        assertThat(counter.size()).isEqualTo(3);
        // n1 and n2 were dropped: replaying them must not start a fresh count.
        assertThat(counter.advance("n1", 101, 1, 0)).isFalse();
        assertThat(counter.advance("n2", 102, 7, 0)).isFalse();
        // A nonce issued later than any dropped one is still welcome.
        assertThat(counter.advance("n6", 106, 1, 0)).isTrue();
    }

    @Test
    void expiredNoncesAreDroppedFirstWithoutRefusingFreshOnes() {
        NonceCounter counter = new NonceCounter(2);
        counter.advance("old", 10, 1, 0);
        counter.advance("fresh", 500, 1, 0);
        counter.advance("newer", 400, 1, 100);
        assertThat(counter.size()).isEqualTo(2);
        // Only the expired nonce went; an unknown nonce issued at 300 is not treated as dropped.
        assertThat(counter.advance("unseen", 300, 1, 100)).isTrue();
    }
}
