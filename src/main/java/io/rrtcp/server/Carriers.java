package io.rrtcp.server;

/**
 * How many carrier threads run rr-tcp's virtual threads. The JDK's default is one per core; rr-tcp's default is half
 * the cores, at least one, because rr-tcp's own work per message is small next to the PHP workers' and every message
 * handed between carriers on different cores costs a wake-up there. On the 2-core machine of docs/benchmarks.md one
 * carrier instead of two cuts the server's CPU per message from about 45 to about 27 µs. Setting the JDK's own
 * property {@value #PROPERTY} (e.g. in {@code RR_TCP_JAVA_OPTS}) overrides the default.
 */
public final class Carriers {
    public static final String PROPERTY = "jdk.virtualThreadScheduler.parallelism";

    private Carriers() {
    }

    /**
     * Sets the default unless the property is set already. Only effective before the first virtual thread starts, so
     * {@code main} calls it first.
     */
    public static void applyDefault() {
        if (System.getProperty(PROPERTY) == null) {
            System.setProperty(PROPERTY, Integer.toString(defaultFor(Runtime.getRuntime().availableProcessors())));
        }
    }

    /** Half of {@code cores}, at least one. */
    public static int defaultFor(int cores) {
        return Math.max(1, cores / 2);
    }

    /** What the running JVM was given, for the start-up log line ("default" when the JDK chose). */
    public static String configured() {
        return System.getProperty(PROPERTY, "default");
    }
}
