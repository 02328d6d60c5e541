package io.rrtcp.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a set of files looks like on disk now: each file's real path (after symlinks), modification time and size.
 * Renewal tools replace files in different ways (certbot re-points symlinks into archive/, cert-manager swaps a
 * {@code ..data} symlink, others rewrite in place); any of them changes at least one of the three.
 */
record FileStamps(List<String> stamps) {
    static FileStamps of(List<Path> files) {
        List<String> out = new ArrayList<>(files.size());
        for (Path file : files) {
            try {
                out.add(file.toRealPath() + "|" + Files.getLastModifiedTime(file).toMillis() + "|" + Files.size(file));
            } catch (IOException e) {
                out.add(file + "|missing");
            }
        }
        return new FileStamps(List.copyOf(out));
    }
}
