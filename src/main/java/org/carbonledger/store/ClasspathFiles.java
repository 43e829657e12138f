package org.carbonledger.store;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * ClasspathFiles reads every file of one classpath directory (the `schema/` and `migrations/` folders,
 * packed into the jar by the build), whether the classpath is a directory or a jar.
 */
public final class ClasspathFiles {

  private ClasspathFiles() {}

  /** File name to bytes, sorted by name, of the files in {@code directory} whose name ends with {@code suffix}. */
  public static Map<String, byte[]> read(String directory, String suffix) throws IOException {
    URL url = ClasspathFiles.class.getClassLoader().getResource(directory);
    if (url == null) {
      throw new IOException("classpath directory " + directory + " is missing from the build");
    }
    URI uri;
    try {
      uri = url.toURI();
    } catch (URISyntaxException e) {
      throw new IOException(e);
    }
    if (!"jar".equals(uri.getScheme())) {
      return readDirectory(Path.of(uri), suffix);
    }
    FileSystem jar;
    boolean opened = false;
    try {
      jar = FileSystems.newFileSystem(uri, Map.of());
      opened = true;
    } catch (FileSystemAlreadyExistsException e) {
      jar = FileSystems.getFileSystem(uri);
    }
    try {
      return readDirectory(jar.getPath(directory), suffix);
    } finally {
      if (opened) {
        jar.close();
      }
    }
  }

  private static Map<String, byte[]> readDirectory(Path directory, String suffix) throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> paths = Files.list(directory)) {
      for (Path path : (Iterable<Path>) paths::iterator) {
        String name = path.getFileName().toString();
        if (name.endsWith(suffix)) {
          try (InputStream in = Files.newInputStream(path)) {
            files.put(name, in.readAllBytes());
          }
        }
      }
    }
    return files;
  }
}
