#pragma once
// The model's inputs for one case: the scenario's settings as the model reads them, plus the
// versions of the binaries that will really run (read from them, not assumed).
#include "model/Model.hpp"
#include "scenario/Scenario.hpp"

namespace deadpeer::model {

Inputs inputs_from(const scenario::Scenario& sc, Version client_version, Version server_version);

}  // namespace deadpeer::model
