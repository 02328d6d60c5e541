package io.rrtcp.ops;

import io.rrtcp.tcp.CloseReason;
import io.rrtcp.tcp.ServerMeter;
import io.rrtcp.tcp.TcpEvent;

import java.util.concurrent.atomic.LongAdder;

/** The counters of one configured server: LongAdders and two histograms, read when Prometheus scrapes. */
final class ServerCounters implements ServerMeter {
    final LongAdder opened = new LongAdder();
    final LongAdder[] closed = adders(CloseReason.values().length);
    final LongAdder[] events = adders(TcpEvent.values().length);
    final LongAdder received = new LongAdder();
    final LongAdder sent = new LongAdder();
    final NanosHistogram worked = new NanosHistogram();
    final NanosHistogram waited = new NanosHistogram();

    private static LongAdder[] adders(int n) {
        LongAdder[] a = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            a[i] = new LongAdder();
        }
        return a;
    }

    @Override
    public void opened() {
        opened.increment();
    }

    @Override
    public void closed(CloseReason reason) {
        closed[reason.ordinal()].increment();
    }

    @Override
    public void event(TcpEvent event) {
        events[event.ordinal()].increment();
    }

    @Override
    public void received(long bytes) {
        received.add(bytes);
    }

    @Override
    public void sent(long bytes) {
        sent.add(bytes);
    }

    @Override
    public void waited(long nanos) {
        waited.observe(nanos);
    }

    @Override
    public void worked(long nanos) {
        worked.observe(nanos);
    }

    /** Connections open now: accepted minus ended. */
    long open() {
        long ended = 0;
        for (LongAdder c : closed) {
            ended += c.sum();
        }
        return Math.max(0, opened.sum() - ended);
    }
}
