// DKSDocker: placeholder until the layer lands.
