PROJECT := geist
