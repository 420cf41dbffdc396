package dev.ladle.websocket.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ladle.server.Subscription;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class ListenersTest {
    private static List<String> called(Listeners<Consumer<List<String>>> listeners) {
        List<String> seen = new ArrayList<>();
        listeners.forEach(l -> l.accept(seen));
        return seen;
    }

    @Test
    void listenersRunInTheOrderAddedAndASubscriptionRemovesOnlyItsOwnOnce() {
        Listeners<Consumer<List<String>>> listeners = new Listeners<>();
        assertThat(listeners.isEmpty()).isTrue();
        Consumer<List<String>> twice = seen -> seen.add("twice");
        Subscription a = listeners.add(seen -> seen.add("a"));
        Subscription first = listeners.add(twice);
        listeners.add(seen -> seen.add("b"));
        listeners.add(twice);
        assertThat(called(listeners)).containsExactly("a", "twice", "b", "twice");

        first.close();
        first.close(); // a second close removes nothing more
        assertThat(called(listeners)).containsExactly("a", "b", "twice");
        a.close();
        assertThat(called(listeners)).containsExactly("b", "twice");
        assertThat(listeners.isEmpty()).isFalse();
    }

    @Test
    void aListenerAddedWhileTheListRunsIsCalledNextTime() {
        Listeners<Consumer<List<String>>> listeners = new Listeners<>();
        listeners.add(seen -> {
            seen.add("adder");
            if (seen.size() == 1) {
                listeners.add(s -> s.add("late"));
            }
        });
        assertThat(called(listeners)).containsExactly("adder");
        assertThat(called(listeners)).containsExactly("adder", "late");
    }

    @Test
    void removingTheLastListenerLeavesItEmpty() {
        Listeners<Runnable> listeners = new Listeners<>();
        Subscription only = listeners.add(() -> { });
        only.close();
        assertThat(listeners.isEmpty()).isTrue();
    }

    @Test
    void aNullListenerIsRefused() {
        assertThatThrownBy(() -> new Listeners<Runnable>().add(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void listenersAddedAndRemovedFromManyThreadsAtOnceAreNotLost() throws Exception {
        Listeners<Runnable> listeners = new Listeners<>();
        int threads = 8;
        int each = 500;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> running = new ArrayList<>();
        List<Runnable> kept = new CopyOnWriteArrayList<>();
        for (int t = 0; t < threads; t++) {
            running.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < each; i++) {
                    Runnable keep = () -> { };
                    kept.add(keep);
                    listeners.add(keep);
                    listeners.add(() -> { }).close();
                }
            }));
        }
        start.countDown();
        for (Thread t : running) {
            t.join();
        }
        List<Runnable> present = new ArrayList<>();
        listeners.forEach(present::add);
        assertThat(present).hasSize(threads * each).containsExactlyInAnyOrderElementsOf(kept);
    }
}
