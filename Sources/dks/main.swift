print("dks: under construction")
