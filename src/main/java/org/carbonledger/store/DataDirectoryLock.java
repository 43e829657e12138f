package org.carbonledger.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * DataDirectoryLock holds an exclusive OS file lock on a data directory for the life of the process, so a
 * second server started on the same directory fails with a clear message instead of sharing its database.
 * The OS releases the lock when the process dies, so a crash never leaves a stale lock behind.
 */
public final class DataDirectoryLock implements AutoCloseable {

  private final FileChannel channel;
  private final FileLock lock;

  private DataDirectoryLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Takes the lock, or throws DataDirectoryInUseException naming the process that holds it. */
  public static DataDirectoryLock acquire(Path directory) throws IOException {
    Files.createDirectories(directory);
    Path file = directory.resolve("carbon-ledger.lock");
    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      String holder = Files.readString(file, StandardCharsets.UTF_8).trim();
      channel.close();
      throw new DataDirectoryInUseException(directory, holder);
    }
    channel.truncate(0);
    channel.write(ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)), 0);
    channel.force(true);
    return new DataDirectoryLock(channel, lock);
  }

  @Override
  public void close() throws IOException {
    lock.release();
    channel.close();
  }

  /** DataDirectoryInUseException: another process holds the data directory. */
  public static final class DataDirectoryInUseException extends IOException {
    DataDirectoryInUseException(Path directory, String holderPid) {
      super("data directory " + directory + " is in use by another carbon-ledger process"
          + (holderPid.isEmpty() ? "" : " (pid " + holderPid + ")")
          + "; stop it or choose another --data-dir");
    }
  }
}
