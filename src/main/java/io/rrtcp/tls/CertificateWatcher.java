package io.rrtcp.tls;

import java.time.Duration;
import java.util.List;

/**
 * Looks at every TLS server's files once a second and reloads those that changed. Polling, not a WatchService:
 * renewals often change a symlink outside the watched folder (certbot's live/ → archive/, Kubernetes' ..data swap),
 * which inotify on the folder does not report, and a few stat calls per second cost nothing. New connections see a
 * renewed certificate within about a second.
 */
public final class CertificateWatcher {
    public static final Duration POLL = Duration.ofSeconds(1);

    private final List<ReloadingSslContext> contexts;
    private volatile Thread thread;

    public CertificateWatcher(List<ReloadingSslContext> contexts) {
        this.contexts = List.copyOf(contexts);
    }

    public void start() {
        if (!contexts.isEmpty()) {
            thread = Thread.ofVirtual().name("tls-certificate-watcher").start(this::run);
        }
    }

    public void stop() {
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }

    private void run() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                return;
            }
            contexts.forEach(ReloadingSslContext::reloadIfChanged);
        }
    }
}
