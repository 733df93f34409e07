// The one translation unit that compiles Asio's and Beast's implementation (separate
// compilation), so the bench's other sources only parse their declarations.
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
