// DKSLocal: placeholder until the layer lands.
