package org.carbonledger.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/** OwnerOnlyFile writes the secrets a server keeps in its data directory: the admin API key, the log's signing key. */
public final class OwnerOnlyFile {

  private OwnerOnlyFile() {}

  /**
   * Writes {@code text} to {@code file} readable by its owner only, creating its directory. Atomic, so no reader
   * sees half a secret and a crash leaves none; on failure no temporary file is left behind. Blocks.
   */
  public static void write(Path file, String text) throws IOException {
    Path directory = file.toAbsolutePath().getParent();
    Files.createDirectories(directory);
    // Created rw------- from the start, so the secret is never in a file others could open, even briefly. A short
    // fixed prefix, not the file's name: a temporary name must fit where any name the operator chose fits.
    Path temporary = Files.createTempFile(directory, ".secret", ".tmp",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      Files.writeString(temporary, text, StandardCharsets.UTF_8);
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temporary);
    }
  }
}
