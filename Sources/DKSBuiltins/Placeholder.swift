// DKSBuiltins: placeholder until the layer lands.
