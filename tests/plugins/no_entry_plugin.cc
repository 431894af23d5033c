// A shared library that is not a selfplay plugin: it defines neither entry
// point.
extern "C" int not_a_selfplay_plugin(void) { return 0; }
