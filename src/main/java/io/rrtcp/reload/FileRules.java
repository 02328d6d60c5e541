package io.rrtcp.reload;

import io.rrtcp.config.ReloadConfig;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which files count for a reload: files under {@code roots} (their sub-folders too when {@code recursive}) whose name
 * ends with one of {@code patterns}, minus the {@code ignored} folders and files.
 *
 * @param roots     absolute folders to watch ({@code dirs}, resolved against the working directory)
 * @param recursive whether sub-folders are watched
 * @param ignored   absolute paths left out; a folder leaves out everything below it
 * @param patterns  file name suffixes
 */
record FileRules(List<Path> roots, boolean recursive, Set<Path> ignored, List<String> patterns) {
    FileRules {
        roots = List.copyOf(roots);
        ignored = Set.copyOf(ignored);
        patterns = List.copyOf(patterns);
    }

    /** Relative {@code dirs} and {@code ignore} entries are relative to the working directory, as upstream's are. */
    static FileRules of(ReloadConfig config, Path workdir) {
        Path base = workdir.toAbsolutePath().normalize();
        return new FileRules(config.dirs().stream().map(d -> base.resolve(d).normalize()).distinct().toList(),
                config.recursive(),
                config.ignore().stream().map(i -> base.resolve(i).normalize()).collect(Collectors.toSet()),
                config.patterns());
    }

    boolean isIgnored(Path path) {
        return ignored.contains(path);
    }

    /**
     * Whether a file's name ends with a pattern. Upstream tests "contains" instead, so {@code .php} also fires for
     * an editor's {@code .worker.php.swp} or {@code worker.php~}; a suffix keeps such saves from resetting twice.
     */
    boolean matches(Path file) {
        Path name = file.getFileName();
        if (name == null) {
            return false;
        }
        String text = name.toString();
        for (String pattern : patterns) {
            if (text.endsWith(pattern)) {
                return true;
            }
        }
        return false;
    }
}
