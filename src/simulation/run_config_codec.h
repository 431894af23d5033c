// The run configuration's bytes inside the formats that embed it (simulate
// checkpoints, the isolated workers' setup, the MPI agreement check): the one
// layout of encode_run_config, written into and read from a larger buffer.
//
//   BinaryWriter out;
//   write_run_config(config, out);
//   out.u64(next_game_index);
//   ...
//   BinaryReader in(bytes);
//   RunConfig config = read_run_config(in);
//   if (!in.ok() || !run_config_in_range(config)) { /* malformed */ }
#ifndef SELFPLAY_SIMULATION_RUN_CONFIG_CODEC_H_
#define SELFPLAY_SIMULATION_RUN_CONFIG_CODEC_H_

#include "selfplay/run_config.h"
#include "simulation/binary_io.h"

namespace selfplay {

void write_run_config(const RunConfig& config, BinaryWriter& out);

// Leaves `in` not-ok when its bytes end early or hold impossible counts.
RunConfig read_run_config(BinaryReader& in);

// Whether a decoded configuration could be a run's: players >= 1 with one
// policy each, max_actions >= 1, a timeout >= 0.
bool run_config_in_range(const RunConfig& config);

}  // namespace selfplay

#endif  // SELFPLAY_SIMULATION_RUN_CONFIG_CODEC_H_
