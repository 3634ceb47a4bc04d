"""Analysis over coded events: dyad series and the thaw index, the actor network, plots and exports."""
