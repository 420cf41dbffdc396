package dev.ladle.junit;

import dev.ladle.junit.json.Json;
import dev.ladle.junit.json.JsonObject;
import dev.ladle.junit.json.JsonString;
import dev.ladle.junit.json.JsonValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Mapping files on disk: reads every {@code *.json} file under a directory (or one file) into checked
 * {@link Mapping}s, and writes stubs' mappings out, one file each.
 *
 * <p>Reading is all or nothing: every file is read and checked before the caller registers any stub.
 * Files are read in the order of their paths (so among stubs of the same priority a later file wins);
 * directories named {@code __files} hold bodies, not mappings, and are skipped.
 */
final class MappingFiles {
    /** The directory of body files, next to the mappings, as WireMock lays them out. */
    static final String BODY_FILES = "__files";
    private static final System.Logger LOG = System.getLogger(MappingFiles.class.getName());
    private static final int SLUG_LENGTH = 40;

    private MappingFiles() {
    }

    /**
     * Reads and checks the mappings of {@code fileOrDirectory}.
     *
     * @throws IllegalArgumentException when it does not exist, a file is not JSON, or a mapping is outside
     *     the subset (naming the file and the field), or two mappings share an id
     * @throws UncheckedIOException when a file cannot be read
     */
    static List<Mapping> read(Path fileOrDirectory) {
        if (!Files.exists(fileOrDirectory)) {
            throw new IllegalArgumentException("no mapping file or directory " + fileOrDirectory);
        }
        boolean directory = Files.isDirectory(fileOrDirectory);
        Path base = directory ? fileOrDirectory : fileOrDirectory.toAbsolutePath().getParent();
        Path files = bodyFiles(base);
        List<Mapping> mappings = new ArrayList<>();
        Map<String, Path> idSources = new HashMap<>();
        for (Path file : directory ? jsonFiles(fileOrDirectory) : List.of(fileOrDirectory)) {
            for (Mapping mapping : Mapping.readAll(parse(file), file.toString(), files)) {
                Path earlier = idSources.putIfAbsent(mapping.id(), file);
                if (earlier != null) {
                    throw new IllegalArgumentException(file + ": id " + StringMatcher.quote(mapping.id())
                            + " is taken by another mapping in " + earlier);
                }
                mappings.add(mapping);
            }
        }
        return mappings;
    }

    /** {@code base/__files}, else {@code base/../__files} (WireMock's {@code root/mappings}, {@code root/__files}), else null. */
    private static Path bodyFiles(Path base) {
        Path here = base.resolve(BODY_FILES);
        if (Files.isDirectory(here)) {
            return here;
        }
        Path parent = base.toAbsolutePath().getParent();
        return parent != null && Files.isDirectory(parent.resolve(BODY_FILES)) ? parent.resolve(BODY_FILES) : null;
    }

    private static List<Path> jsonFiles(Path directory) {
        List<Path> found = new ArrayList<>();
        try {
            Files.walkFileTree(directory, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                    return dir.getFileName() != null && dir.getFileName().toString().equals(BODY_FILES)
                            ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    if (attributes.isRegularFile() && file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")) {
                        found.add(file);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the mapping directory " + directory + ": " + e.getMessage(), e);
        }
        found.sort(null);
        return found;
    }

    private static JsonValue parse(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the mapping file " + file + ": " + e.getMessage(), e);
        }
        try {
            return Json.parse(bytes);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": not valid JSON: " + e.getMessage(), e);
        }
    }

    /**
     * Writes the mapping of each stub that has one into {@code directory} (made if missing), one file each,
     * named so that reading the directory back registers them in the same order:
     * {@code 0001-get-users-7-<id>.json}. A file of the same name is replaced; other files are left alone.
     * Stubs made in code have no mapping, are skipped, and a warning names them.
     *
     * @return the files written, in order
     * @throws UncheckedIOException when the directory or a file cannot be written
     */
    static List<Path> write(List<Stub> stubs, Path directory) {
        List<String> inCode = stubs.stream().filter(s -> s.mapping().isEmpty()).map(Stub::description).toList();
        if (!inCode.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "saveMappings: " + inCode.size() + " stubs made in code are not"
                    + " saved (a mapping file cannot hold their conditions): " + inCode);
        }
        try {
            Files.createDirectories(directory);
            List<Path> written = new ArrayList<>();
            for (Stub stub : stubs) {
                JsonObject mapping = stub.mapping().orElse(null);
                if (mapping == null) {
                    continue;
                }
                String name = String.format(Locale.ROOT, "%04d-%s%s.json", written.size() + 1, slug(mapping),
                        stub.id().replaceAll("[^A-Za-z0-9._-]", "-"));
                Path file = directory.resolve(name);
                Files.writeString(file, stub.toMappingJson() + "\n", StandardCharsets.UTF_8);
                written.add(file);
            }
            return written;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save mappings in " + directory + ": " + e.getMessage(), e);
        }
    }

    /** A short file-name part from the mapping's name, or its method and URL: {@code get-users-7-}. */
    private static String slug(JsonObject mapping) {
        StringBuilder words = new StringBuilder();
        if (mapping.get("name") instanceof JsonString name) {
            words.append(name.value());
        } else if (mapping.get("request") instanceof JsonObject request) {
            for (String field : List.of("method", "url", "urlPath", "urlPattern", "urlPathPattern")) {
                if (request.get(field) instanceof JsonString value) {
                    words.append(' ').append(value.value());
                }
            }
        }
        String slug = words.toString().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (slug.length() > SLUG_LENGTH) {
            slug = slug.substring(0, SLUG_LENGTH).replaceAll("-+$", "");
        }
        return slug.isEmpty() ? "" : slug + "-";
    }
}
