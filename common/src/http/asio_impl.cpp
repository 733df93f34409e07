// The one translation unit that compiles Asio's and Beast's out-of-line code; the common target
// defines BOOST_ASIO_SEPARATE_COMPILATION and BOOST_BEAST_SEPARATE_COMPILATION so that no other
// file instantiates it again (this keeps a clean build on 2 cores within minutes).
#include <boost/asio/impl/src.hpp>
// TLS for the few outgoing HTTPS requests (an identity provider's keys: http/https_fetch.cpp).
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
