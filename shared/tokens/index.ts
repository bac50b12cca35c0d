export {
  tokenizerFor,
  normaliseModel,
  VENDOR_FACTORS,
  type EncodingName,
  type Vendor,
  type TokenizerChoice,
} from './models';
export { loadEncoder, type Encoder, type ChatMessageText } from './encodings';
export { countTokens, countChatTokens, createTokenCounter, type TokenCount, type TokenCounter } from './count';
export { estimateCost, findPrice, PRICES, PriceTable, PriceEntry, type CostEstimate, type PriceMatch } from './prices';
