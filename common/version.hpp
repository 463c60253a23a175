#pragma once
// The version of Expanse that is running: "0.1.0 (git 1234abcd5678)", "-dirty" after the commit when
// the checkout had uncommitted changes, no commit outside a git checkout. Written into run and
// results directories so that any figure can be traced to the code that produced it.

namespace expanse {

const char* expanse_version();

}  // namespace expanse
