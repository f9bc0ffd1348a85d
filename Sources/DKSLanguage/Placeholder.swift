// DKSLanguage: placeholder until the layer lands.
