// Nayuki's QR Code generator (Debian: libqrcodegen-dev).
#include <qrcodegen/qrcodegen.h>
