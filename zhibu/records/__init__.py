"""Records of a branch's work: meetings, lessons, pledges, donations and the like."""
