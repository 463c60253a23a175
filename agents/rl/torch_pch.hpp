#pragma once
// Precompiled for every LibTorch translation unit of agents/ (and its tests): the torch headers
// take most of a file's compile time.
#include <torch/torch.h>
