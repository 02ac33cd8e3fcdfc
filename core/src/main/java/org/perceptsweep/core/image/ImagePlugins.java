package org.perceptsweep.core.image;

import com.twelvemonkeys.imageio.plugins.bmp.BMPImageReaderSpi;
import com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReaderSpi;
import com.twelvemonkeys.imageio.plugins.pnm.PAMImageReaderSpi;
import com.twelvemonkeys.imageio.plugins.pnm.PNMImageReaderSpi;
import com.twelvemonkeys.imageio.plugins.tiff.BigTIFFImageReaderSpi;
import com.twelvemonkeys.imageio.plugins.tiff.TIFFImageReaderSpi;
import com.twelvemonkeys.imageio.plugins.webp.WebPImageReaderSpi;
import java.util.List;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;

/**
 * Registers the TwelveMonkeys readers (JPEG with CMYK/YCCK, TIFF, BMP, PNM, WebP) with ImageIO, once
 * per JVM, by class rather than by a classpath scan.
 *
 * <p>Why explicitly: ImageIO finds plugins through {@code META-INF/services} with the context class
 * loader of the thread that first touches its registry. Under spark-submit the application's jars are
 * in a child class loader, and an executor's registry may have been made before they were visible, so a
 * scan can miss them. Registering the provider classes that this class links against puts exactly
 * these readers, from the decoder's own class loader, in the registry; each orders itself before the
 * JDK's reader for its format when registered.
 */
final class ImagePlugins {
  private static boolean registered;

  private ImagePlugins() {}

  static synchronized void register() {
    if (registered) {
      return;
    }
    IIORegistry registry = IIORegistry.getDefaultInstance();
    List<ImageReaderSpi> readers = List.of(new JPEGImageReaderSpi(), new TIFFImageReaderSpi(),
        new BigTIFFImageReaderSpi(), new BMPImageReaderSpi(), new PNMImageReaderSpi(), new PAMImageReaderSpi(),
        new WebPImageReaderSpi());
    for (ImageReaderSpi spi : readers) {
      // A scan that already found this very class keeps its instance (re-registering would drop the
      // orderings set when it was registered).
      if (registry.getServiceProviderByClass(spi.getClass()) == null) {
        registry.registerServiceProvider(spi, ImageReaderSpi.class);
      }
    }
    registered = true;
  }
}
