package org.carbonledger.verify;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.carbonledger.ledger.Check;

/**
 * BoundedFile reads a small file whole, refusing one over its cap without reading more than one byte past it.
 * The cap is enforced on the bytes read, not on the size the file system reports: that size is 0 for a pipe, a
 * device such as /dev/zero or a shell's {@code <(...)}, which would otherwise be read until memory runs out.
 */
public final class BoundedFile {

  private BoundedFile() {}

  /** TooLargeException is a file with more bytes than its cap. */
  public static final class TooLargeException extends IOException {

    TooLargeException(Path file, long bytesMax) {
      super(file + " has more than " + bytesMax + " bytes");
    }
  }

  /**
   * The bytes of file, at most bytesMax of them.
   *
   * @throws TooLargeException when the file has more than bytesMax bytes
   * @throws IOException       when it cannot be read (NoSuchFileException when it does not exist)
   */
  public static byte[] read(Path file, int bytesMax) throws IOException {
    Check.argument(bytesMax >= 0 && bytesMax < Integer.MAX_VALUE, "bytesMax must be 0..2^31-2");
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes(bytesMax + 1);
      if (bytes.length > bytesMax) {
        throw new TooLargeException(file, bytesMax);
      }
      return bytes;
    }
  }
}
