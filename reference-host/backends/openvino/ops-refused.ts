/**
 * IR layer types real Open Model Zoo IRs use that the front-end does not translate, each with the
 * reason; a model using one gets unsupported_operation carrying it. The README's op table lists
 * them beside the translated ones.
 */
export const REFUSED_OPS: Readonly<Record<string, string>> = {
  NonMaxSuppression:
    'opset1/3/4/5/9 NMS returns a padded [N, 3] index list (with valid_outputs and selected_scores from opset5) where ONNX NonMaxSuppression returns only the selected rows; not translated',
  DetectionOutput: 'SSD box decoding + NMS + top-k in one layer (opset1, opset8); no ONNX equivalent, not translated',
  PriorBox: 'generates anchor boxes from the feature-map and image shapes; not translated',
  PriorBoxClustered: 'generates clustered anchor boxes from the feature-map and image shapes; not translated',
  Proposal: 'Faster R-CNN region proposals (anchors + NMS); not translated',
  ROIPooling: 'no ONNX equivalent with the same bin rounding; not translated',
  ROIAlign: 'not translated',
  RegionYolo: 'YOLO region layer; not translated',
  ReorgYolo: 'YOLO reorg layer; not translated',
  CTCGreedyDecoder: 'not translated',
  CTCGreedyDecoderSeqLen: 'not translated',
  TensorIterator: 'a sub-graph body; not translated',
  Loop: 'a sub-graph body; not translated',
  If: 'sub-graph bodies; not translated',
  LSTMSequence: 'recurrent layers are not translated',
  GRUSequence: 'recurrent layers are not translated',
  RNNSequence: 'recurrent layers are not translated',
  LSTMCell: 'recurrent layers are not translated',
  GRUCell: 'recurrent layers are not translated',
  DeformableConvolution: 'no ONNX opset 18 equivalent; not translated',
  Einsum: 'not translated',
  NonZero: 'not translated',
  Bucketize: 'not translated',
  EmbeddingBagOffsetsSum: 'not translated',
  ExperimentalDetectronDetectionOutput: 'OpenVINO extension layer; not translated',
  ExperimentalDetectronROIFeatureExtractor: 'OpenVINO extension layer; not translated',
};
