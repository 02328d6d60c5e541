package io.rrtcp.ops;

/** A plugin {@code /health} and {@code /ready} can ask about ({@code tcp}: its workers and listeners). */
public interface PluginCheck {
    /** The name asked for in {@code ?plugin=}. */
    String name();

    /** Alive: able to serve, perhaps not right now. */
    PluginState health();

    /** Ready: able to take a new client right now. */
    PluginState readiness();
}
