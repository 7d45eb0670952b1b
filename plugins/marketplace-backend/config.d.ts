export interface Config {
  marketplace?: {
    cost?: {
      /** Currency of forecasts and actual costs in the API. Default EUR. */
      currency?: string;
    };
  };
}
