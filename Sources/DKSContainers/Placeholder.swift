// DKSContainers: placeholder until the layer lands.
