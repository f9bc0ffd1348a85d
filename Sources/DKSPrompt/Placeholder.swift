// DKSPrompt: placeholder until the layer lands.
