package dev.ladle.junit;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The state of each named scenario of a {@link MockServer}: stubs in a scenario answer only in a given
 * state and may move it on. A scenario nobody moved is in {@link MockServer#SCENARIO_STARTED}.
 */
final class Scenarios {
    private final Map<String, String> states = new ConcurrentHashMap<>();

    /** The state of scenario {@code name}. */
    String state(String name) {
        return states.getOrDefault(name, MockServer.SCENARIO_STARTED);
    }

    /** Moves scenario {@code name} to {@code state}. */
    void set(String name, String state) {
        states.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(state, "state"));
    }

    /** Puts every scenario back in its starting state. */
    void reset() {
        states.clear();
    }
}
