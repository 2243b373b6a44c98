package dev.keygate.sample;

import static org.assertj.core.api.Assertions.fail;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A small tmpfs of its own, mounted for one test, that can be filled to the last byte, freed and
 * made read-only: a real full disk and a real read-only disk, as the database meets them. Needs
 * root (CI runs {@code .ci/run} as root); elsewhere such a test is skipped, except under
 * {@code CI=true}, where it fails and says why.
 */
final class ScratchDisk implements AutoCloseable {
  private static final Path BASE = Path.of(System.getProperty("keygate.test.dir", "target"), "scratch-disks");

  private final Path root;
  private final Path filler;
  private boolean mounted = true;

  private ScratchDisk(Path root) {
    this.root = root;
    this.filler = root.resolve("filler");
  }

  /** Mounts a tmpfs of {@code size} ({@code 16m}) on a fresh folder under the build's target folder. */
  static ScratchDisk mount(String size) throws IOException {
    Command id = Command.run("id", "-u");
    if (id.code() != 0 || !id.output().strip().equals("0")) {
      needRoot("it runs as uid " + id.output().strip());
    }
    Path dir = Files.createDirectories(BASE.resolve(UUID.randomUUID().toString()));
    Command mount = Command.run("mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=0755", "keygate-test",
        dir.toString());
    if (mount.code() != 0) {
      Files.deleteIfExists(dir);
      needRoot("mount -t tmpfs failed (" + mount.code() + "): " + mount.output().strip());
    }
    return new ScratchDisk(dir);
  }

  private static void needRoot(String why) {
    String message = "This test mounts a small tmpfs to give the database a real full and read-only disk, which"
        + " needs root (CI runs .ci/run as root), but " + why;
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      fail(message + "; under CI=true it must run, not be skipped");
    }
    Assumptions.abort(message);
  }

  Path root() {
    return root;
  }

  /**
   * Writes a file until the disk refuses even one more byte ({@code No space left on device}).
   *
   * @return the bytes written
   */
  long fill() throws IOException {
    long written = 0;
    byte[] block = new byte[1 << 20];
    try (OutputStream out = new FileOutputStream(filler.toFile(), true)) {
      while (true) {
        out.write(block);
        written += block.length;
      }
    } catch (IOException full) {
      // now byte by byte, to the last page
    }
    try (OutputStream out = new FileOutputStream(filler.toFile(), true)) {
      while (true) {
        out.write(0);
        written++;
      }
    } catch (IOException full) {
      if (!String.valueOf(full.getMessage()).contains("No space left")) {
        throw full;
      }
    }
    return written;
  }

  /** Frees what {@link #fill()} took. */
  void free() throws IOException {
    Files.deleteIfExists(filler);
  }

  void remountReadOnly() {
    Command ro = Command.run("mount", "-o", "remount,ro", root.toString());
    if (ro.code() != 0) {
      fail("mount -o remount,ro failed: " + ro.output());
    }
  }

  /** Unmounts (lazily if something still holds a file open) and removes the folder. */
  @Override
  public void close() throws IOException {
    if (!mounted) {
      return;
    }
    mounted = false;
    Command umount = Command.run("umount", root.toString());
    if (umount.code() != 0) {
      Command lazy = Command.run("umount", "-l", root.toString());
      if (lazy.code() != 0) {
        throw new IOException("could not unmount " + root + ": " + umount.output() + " / " + lazy.output());
      }
    }
    Files.deleteIfExists(root);
  }

  /** A short system command, its exit code and its merged output. */
  record Command(int code, String output) {
    static Command run(String... command) {
      try {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          return new Command(-1, String.join(" ", command) + ": timed out");
        }
        return new Command(p.exitValue(), new String(out, StandardCharsets.UTF_8));
      } catch (IOException e) {
        return new Command(-1, String.join(" ", command) + ": " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new Command(-1, "interrupted");
      }
    }
  }
}
