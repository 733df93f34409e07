#pragma once

#include "graphql/schema_impl.hpp"

namespace choreo::graphql {

// Adds introspection (spec §4) to a schema whose own types, directives and roots are complete:
// the types __Schema, __Type, __Field, __InputValue, __EnumValue, __Directive, __TypeKind and
// __DirectiveLocation; the query type's hidden fields __schema and __type(name:); and the list
// of types they show. The resolvers read only the schema, never the request context, so any
// caller may run the introspection query.
void add_introspection(Schema::Impl& schema);

}  // namespace choreo::graphql
